"""Newsroom's Chalice app: it only registers the blueprints of chalicelib/routes."""

from chalice import Chalice

from chalicelib.routes import admin, editors, events, reader

app = Chalice(app_name="newsroom")
app.register_blueprint(reader.routes)
app.register_blueprint(editors.routes)
app.register_blueprint(events.routes)
app.register_blueprint(admin.routes)

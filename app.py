"""Newsroom's Chalice app: it only registers the blueprints of chalicelib/routes.

Its imports run with the garbage collector paused: they create some 70,000 objects and free almost none, so
the hundred collections they would trigger find nothing, at about 8% of the import's CPU time (bench/
cold_start.py). Frozen, those objects are left out of every later collection too.
"""

import gc

gc.disable()
try:
    from chalice import Chalice

    from chalicelib.routes import (
        accounts,
        admin,
        beacon,
        converting,
        editors,
        editors_housekeeping,
        events,
        front_door,
        intake,
        legacy,
        links,
        observed,
        reader,
        schedules,
        site_settings,
        syndication,
        topics,
        word_lists,
        workflow,
    )
finally:
    gc.freeze()
    gc.enable()

app = Chalice(app_name="newsroom", configure_logs=False)  # chalice's own lines too: JSON (chalicelib/logs.py)
app.api.binary_types.append(syndication.ICON_CONTENT_TYPE)  # /favicon.ico answers the icon's bytes
app.register_blueprint(reader.routes)
app.register_blueprint(syndication.routes)
app.register_blueprint(editors.routes)
app.register_blueprint(editors_housekeeping.routes)  # trash, bulk actions, deleting photos, photo statuses
app.register_blueprint(accounts.routes)  # sessions, the caller's password, editor accounts
app.register_blueprint(workflow.routes)  # audit trail, revisions, review
app.register_blueprint(word_lists.routes)  # 敏感词: word lists and checks
app.register_blueprint(converting.routes)  # POST /api/convert/html (pasted HTML → blocks)
app.register_blueprint(intake.routes)  # WeChat, Word, attachments, videos, remote photos
app.register_blueprint(events.routes)
app.register_blueprint(admin.routes)
app.register_blueprint(site_settings.routes)  # GET/PUT /api/settings (admins)
app.register_blueprint(links.routes)  # 友情链接: /links, GET/PUT /api/links (admins)
app.register_blueprint(topics.routes)  # 专题: /topics/{slug}, its feed, GET/PUT /api/topics/{slug}
app.register_blueprint(legacy.routes)
for door in beacon.doors():  # the site's one way to count views: the count_views function, or POST /views/{id}
    app.register_blueprint(door)
app.register_blueprint(schedules.routes)  # the fold_search function (every few minutes)
app.register_blueprint(front_door.routes)  # behind a CDN, only what came through it
app.register_blueprint(observed.routes)  # request ids, JSON logs, metrics: every request and event

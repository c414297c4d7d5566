"""Importing a DedeCMS (织梦) site: its database and uploads/, or one saved page, through the app's services."""

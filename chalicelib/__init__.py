"""Newsroom: the newsroom's own code, imported by app.py and the local stack."""

"""One Chalice Blueprint per area: reader pages, the editors' API, photo events.

A route parses its request, calls one service and shapes the reply; HTTP and
event shapes stop here, services never import chalice.
"""

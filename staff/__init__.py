"""The staff workspace: hub staff edit the knowledge base in a browser (``/staff/``) and through
a JSON API (``/staff/api/``), with accounts, roles, a change history and a "try it" pane.

``staff.app.mount(app)`` adds it to the web chat server (``webchat/server.py``).
"""

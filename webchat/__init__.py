"""HubGuide web chat: the aiohttp service that serves the embeddable widget and a demo page."""

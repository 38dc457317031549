"""Entrepreneur journeys: "am I eligible?" (a form over the call's criteria) and "what fits my
company?" (a profile, then calls and hubs ranked by fit)."""

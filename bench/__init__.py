"""HubGuide benchmark suite: `python -m bench.run` measures it against a stock Rasa bot."""

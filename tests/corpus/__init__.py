"""Labelled worker messages and the evaluation that measures how well the bot understands them."""

"""Storage: the only package that touches the database (see storage/repository.py for the
contract). It imports nothing of the bot but `bot.core`."""

"""The Discord adapter: discord.py application commands and @mentions in front of the bot core."""

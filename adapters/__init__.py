"""Chat adapters: each converts one platform's payloads to the bot core and its messages back."""

"""The briefbot application: chat-neutral commands, briefings and scheduling on top of the fact store."""

"""Fakes of chat platform APIs on loopback, for adapter tests."""

"""Pure types and rules shared by every part of kefu. Imports nothing else of kefu."""

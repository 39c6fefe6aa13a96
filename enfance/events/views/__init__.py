"""The pages of the agenda, by sub-domain."""

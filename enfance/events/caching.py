"""The cache version of the events (``core.cache``): the agenda shows every published event and
its places left, so every write on an event or a registration bumps it after it commits
(``signals``)."""

EVENTS = "events"

"""The pages of texts and law proposals, by sub-domain: reading a text, its articles and
versions (``reading``), taking part in a consultation and its moderation (``taking_part``),
editing (``editing``) and the law proposals' own pages (``laws``)."""

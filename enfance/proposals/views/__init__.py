"""The pages of proposals, by sub-domain: the list (``listing``), a proposal's page
(``detail``), writing one (``writing``), comments and the moderation (``moderation``), and the
deliberation of an instance (``deliberation``)."""

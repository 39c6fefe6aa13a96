"""Comments and their moderation, written once for every module where people write in public
(PRODUCT.md: spaces where minors write are moderated before publication; a disclosure of danger
is not "content").

What a module gets:

- **Models.** Its comment model inherits ``AbstractComment`` (author, body, state, moderation
  with its public reason, the count of abuse reports, the « danger pour un enfant » protocol of
  ``Safeguardable``) and adds what attaches it to its object (a proposal, an article) and what
  it says of itself: ``can_be_moderated_by(user)`` (who moderates it), ``URL_NAMESPACE`` (its
  app's URLs ``<ns>:report_comment``, ``remove_comment``, ``publish_comment``,
  ``flag_comment``), ``get_absolute_url`` and ``thread_label`` (what it is written on, as its
  queue names it). Its report model inherits ``AbstractAbuseReport`` with a ``comment`` foreign
  key whose ``related_name`` is ``"reports"``. ``CommentQuerySet`` gives the reads: ``shown()``
  (the thread: published, and removed with their reason), ``awaiting_moderation()``,
  ``reported()``.
- **Services** (``services``): ``post`` (published at once, or held for a moderator when the
  module asks it or the author is a minor), ``report`` (once per person), ``publish`` and
  ``remove`` (with a public reason), the transitions of ``workflows.COMMENT_WORKFLOW``. The
  module's own service checks who may write where, calls these, and keeps its own counters.
- **Abilities** (``workflows``): every comment model answers ``comment.abilities(user)``
  (publish, remove, report, flag_danger, reply); a module registers its own function for its
  model when it adds something (proposals add ``reply``).
- **Pages**: forms (``forms``), view helpers that a module's views call with its URLs and
  breadcrumbs (``views``: report, remove, publish; the « danger » page is
  safeguarding's ``views.flag_page``), and templates: ``thread.html``,
  ``comment.html``, ``comment_form.html``, ``awaiting_moderation.html`` (on the page, for the
  moderators), ``moderation_queue.html`` (the module's queue: held and reported comments),
  ``reason_form.html``. ``{% load ui %}{% abilities_of comment as abilities %}`` (core) reads
  a comment's abilities in a loop.

**The questions of a live (the support module).** A ``Question(AbstractComment)`` with a
foreign key to its live and ``related_name="questions"``; ``can_be_moderated_by`` returns
whether the person organises that live. Asked with ``post(live.questions, by=…, body=…,
moderated=True)``, every question waits in ``awaiting_moderation()`` and is shown once an
organiser publishes it (``publish``), or is refused with a public reason (``remove``).
Supporting a question is the module's own model (one row per person, a unique index, a counter
kept with ``F()``, as proposals do for supports), and « answered » a field of its own
(``answered_at``) set by its service and read by its pages: neither changes the moderation state,
so a question stays reportable and flaggable once answered. Its thread is
``{% include "discussions/thread.html" %}``, its held questions ``awaiting_moderation.html`` on
the live's page for the organisers.
"""

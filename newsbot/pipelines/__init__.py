"""Item pipelines of newsbot, in the order they run (``ITEM_PIPELINES``):

* :class:`~newsbot.pipelines.boilerplate.BoilerplatePipeline` (300): ticker banners,
  template sentences, "read also" lines and learned boilerplate out of the body;
* :class:`~newsbot.pipelines.validation.ValidationPipeline` (350): the record checked
  against ``newsbot/schemas/article.json``;
* :class:`~newsbot.pipelines.revision.RevisionPipeline` (380): the record's ``revision``; a
  re-visited article whose text did not change stops here (``unchanged``);
* :class:`~newsbot.pipelines.dedupe.DedupePipeline` (400): one item per story, within a
  run, across runs and across outlets and sister sites.

Clean first, then dedupe: banners and boilerplate never enter a fingerprint. Every drop is
a :class:`~newsbot.pipelines.drops.PipelineDrop` with a ``reason``.
"""

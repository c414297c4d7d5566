"""Rich text in article bodies: the structure (`schema`), link targets (`links`), plain text and reader runs
(`text`), and HTML coming in (`convert`, the only importer of nh3)."""

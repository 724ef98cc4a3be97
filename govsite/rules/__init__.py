"""Rules (规则): the national and municipal rules for government websites, as one pipeline stage.

Every rule has one entry in the registry, :mod:`govsite.config.rules` (id, severity, phase,
settings, documentation line; ``docs/rules.md`` is generated from it). :mod:`.stage` is what the
pipeline calls: after resolve for the source and site rules, after render for the output rules.
Source rules read files and the resolved site (:mod:`.structure`, :mod:`.contrast`,
:mod:`.site_rules`, :mod:`.text_rules`); output rules read the rendered pages (:mod:`.html_scan`);
:mod:`.runner` runs the rules of ``govsite check`` for the build (the gate) and for the command
(:mod:`govsite.commands.check`).
"""

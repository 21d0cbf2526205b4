"""Early warnings (预警): pacing's numbers turned into alerts, an inbox and robot messages.

    pacing.PaceReport --rules/--> Alert --inbox--> alerts table (deduplicated, acknowledged)
                                              \\--delivery--> webhooks (generic JSON, DingTalk,
                                                              Feishu/Lark, WeCom), rate-limited

The rules are pure functions over a ``PaceReport`` (``rules/``; the anomaly detector is
``anomaly.py``); only ``inbox``, ``webhooks`` and ``delivery`` touch the workspace, and only
``transport`` touches the network. ``service.check`` runs the whole chain for a plan and a day.
"""

"""The GDPR record of a breach (articles 33 and 34): the network's role, the facts the officer documents, the
72-hour clock when the network is controller, the decision to inform the people, the timeline and its documents,
and the register that lists them all."""

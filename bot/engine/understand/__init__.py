"""Understanding what a worker typed: one module per kind of reading (pure functions).

- choices: which option an answer means (`read_choice`, `match_choice`)
- items: several items in one message (`split_items`, `split_hypotheses`, `unique_items`)
- actions, owners, dates: what / who / by when (`split_actions`, `parse_action`, `parse_due`,
  `parse_owner`, `is_worker`, `parse_who_when`)
- corrections: answers at a read-back and edits to a finished note (`read_corrections`,
  `read_edit_request`, `read_numbers`, `read_keep`)
- case_refs: one case however it is typed (`case_key`, `normalise_case_ref`)
- evidence: pledge-review evidence per piece (`parse_evidence_items`)
- hypothesis_kinds: what kind of explanation a hypothesis is (`classify_hypothesis`)
- words: tokens, negation, typo tolerance shared by the others
"""

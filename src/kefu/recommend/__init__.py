"""Recommendations: item-to-item collaborative filtering from implicit feedback (purchases, enrolments,
views) on scipy sparse matrices, a popularity / content fallback for new customers, and explanations.

``products`` serves a shop (τ-bench retail record shape), ``courses`` a school (progress, prerequisites,
scores, interests). Neither imports a pack: they take plain records and small protocols.
"""

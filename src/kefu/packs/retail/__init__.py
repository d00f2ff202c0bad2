"""The retail / e-commerce pack: orders, logistics, cancellations, returns, exchanges, complaints."""

"""Pure computations behind the chapter-6 lessons: each module returns arrays / DataFrames a lesson page draws.

- ``optimizer_paths``: SGD, Momentum, AdaGrad and Adam on f(x, y) = x²/20 + y² (the book's figure 6-8).
- ``activations``: activation histograms of 5 hidden layers per activation and initial weight scale (6-10..6-14).
- ``selection``: the optimism of choosing the best of N configs on test rather than on validation data.
- ``ensemble``: a dropout network next to the averaged predictions of k independently trained networks.
"""

"""Fine-tuned ranker and sentiment model: training, evaluation and inference."""

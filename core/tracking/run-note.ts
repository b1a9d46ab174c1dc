/** A run's markdown notes live in MLflow's note tag, so MLflow clients read and write the same notes. */
export const NOTE_TAG = 'mlflow.note.content';

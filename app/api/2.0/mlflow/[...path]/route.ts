import { mlflowHandler } from '../../../../../server/mlflow/mlflow-route';

// MLflow-compatible REST API (server/mlflow/mlflow-handlers.ts lists the endpoints).
export const dynamic = 'force-dynamic';
export const GET = mlflowHandler;
export const POST = mlflowHandler;
export const PATCH = mlflowHandler;
export const DELETE = mlflowHandler;

import type { APIGatewayProxyResultV2 } from 'aws-lambda';

/** `$connect`: accepting is all there is to do; the connection id travels with every later event. */
export const handler = async (): Promise<APIGatewayProxyResultV2> => ({ statusCode: 200 });

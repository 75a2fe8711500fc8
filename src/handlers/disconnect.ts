import type { APIGatewayProxyResultV2 } from 'aws-lambda';

/**
 * `$disconnect`: nothing is stored per connection, so nothing to clean up. A turn still streaming to this
 * connection finds out on its next push (410) and stops.
 */
export const handler = async (): Promise<APIGatewayProxyResultV2> => ({ statusCode: 200 });

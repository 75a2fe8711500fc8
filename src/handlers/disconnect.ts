import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { loadConfig } from '../config.ts';
import { createUnroutableFrameRoute, isMessageEvent } from '../lambda/unroutable-frame.ts';

const refuseFrame = createUnroutableFrameRoute(loadConfig());

/**
 * `$disconnect`: nothing is stored per connection, so nothing to clean up. A turn still streaming to this
 * connection finds out on its next push (410) and stops.
 */
export const handler = async (
  event: APIGatewayProxyWebsocketEventV2,
  context: Context,
): Promise<APIGatewayProxyResultV2> =>
  isMessageEvent(event) ? refuseFrame(event, context) : { statusCode: 200 };

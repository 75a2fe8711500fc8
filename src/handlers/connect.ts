import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { loadConfig } from '../config.ts';
import { createUnroutableFrameRoute, isMessageEvent } from '../lambda/unroutable-frame.ts';

const refuseFrame = createUnroutableFrameRoute(loadConfig());

/**
 * `$connect`: the authorizer has already decided; accepting is all there is to do, as the connection id
 * travels with every later event.
 */
export const handler = async (
  event: APIGatewayProxyWebsocketEventV2,
  context: Context,
): Promise<APIGatewayProxyResultV2> =>
  isMessageEvent(event) ? refuseFrame(event, context) : { statusCode: 200 };

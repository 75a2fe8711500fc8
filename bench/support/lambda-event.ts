import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';

/**
 * A WebSocket MESSAGE event as API Gateway delivers it to a route's Lambda; with `userId`, the connection was
 * let in by the $connect authorizer, whose context API Gateway passes on with every message.
 */
export function createMessageEvent(
  connectionId: string,
  body: string,
  options: { userId?: string; routeKey?: string } = {},
): APIGatewayProxyWebsocketEventV2 {
  const at = Date.now();
  const requestId = crypto.randomUUID();
  const { userId, routeKey = 'sendMessage' } = options;
  return {
    requestContext: {
      ...(userId === undefined ? {} : { authorizer: { principalId: userId, userId } }),
      routeKey,
      messageId: requestId,
      eventType: 'MESSAGE',
      extendedRequestId: requestId,
      requestTime: new Date(at).toUTCString(),
      messageDirection: 'IN',
      stage: 'bench',
      connectedAt: at,
      requestTimeEpoch: at,
      requestId,
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      connectionId,
      apiId: 'bench',
    },
    body,
    isBase64Encoded: false,
  };
}

/** A Lambda context whose deadline is `timeoutMs` after the invocation starts. */
export function createLambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('callback-style completion is not used by these handlers');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

import { createUpload } from '../chat/attachments.ts';
import { UploadsUnavailableError } from '../chat/errors.ts';
import { loadConfig } from '../config.ts';
import { createAttachmentStore } from '../lambda/attachment-store.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const attachments = createAttachmentStore(config);

/** `createUpload`: a presigned POST for one attachment, answered by an `upload` frame; the file never rides the WebSocket. */
export const handler = createWebSocketRoute(route, 'createUpload', async (request) => {
  const { sessionId, uploadId, name, size } = request.frame;
  route.observability.logger.appendKeys({ sessionId, uploadId });
  if (!attachments) throw new UploadsUnavailableError();
  await request.reply.send(
    await createUpload(attachments, { userId: request.userId, sessionId, uploadId, name, size }),
  );
});

import { useState } from 'react';
import { useAttachments } from './attachments/use-attachments.ts';
import type { Wait } from './chat/conversation.ts';
import type { RegionFailover } from './chat/region-failover.ts';
import type { SessionStore } from './chat/session-store.ts';
import { useChat } from './chat/use-chat.ts';
import type { CreateSocket } from './chat/use-chat-socket.ts';
import { AttachButton, AttachmentTray } from './components/AttachmentTray.tsx';
import { Banner } from './components/Banner.tsx';
import { ChatHeader } from './components/ChatHeader.tsx';
import { Composer } from './components/Composer.tsx';
import { DropZone } from './components/DropZone.tsx';
import { HandoffBanner } from './components/HandoffBanner.tsx';
import { MemoryPanel } from './components/MemoryPanel.tsx';
import { MessageList } from './components/MessageList.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { UsageSummary } from './components/UsageSummary.tsx';

export interface AppProps {
  /** Builds the WebSocket URL for each connection attempt (the place to add an auth token). */
  getSocketUrl: () => Promise<string>;
  store: SessionStore;
  /** With several regions: which one to connect to, and where to go when it fails. */
  regions?: RegionFailover;
  /** Tests pass a fake; the browser's WebSocket otherwise. */
  createSocket?: CreateSocket;
  /** How long to wait for the server before saying so (tests shorten them). */
  waitTimeoutsMs?: Partial<Record<Wait, number>>;
  /** Who is signed in, and how to sign out, when sign-in is on. */
  user?: string;
  onSignOut?: () => void;
}

export function App({
  getSocketUrl,
  store,
  regions,
  createSocket,
  waitTimeoutsMs,
  user,
  onSignOut,
}: AppProps) {
  const chat = useChat({ getSocketUrl, store, regions, createSocket, waitTimeoutsMs });
  const { conversation } = chat;
  const { problem, notice, turn } = conversation;
  const [memoryOpen, setMemoryOpen] = useState(false);
  /** The conversations drawer, on phones (on wider screens the list is always shown). */
  const [drawerOpen, setDrawerOpen] = useState(false);
  const attachments = useAttachments(chat.uploads, conversation.sessionId);
  const attachDisabled = chat.connection.status !== 'open';
  const send = (question: string) => {
    const files = attachments.ready();
    if (!chat.send(question, files)) return false;
    if (files.length) attachments.clear();
    return true;
  };

  return (
    <div className="app">
      <ChatHeader
        connection={chat.connection}
        loading={conversation.loading}
        onReconnect={chat.reconnectNow}
        onNewChat={() => {
          setDrawerOpen(false);
          chat.newChat();
        }}
        onShowChats={() => setDrawerOpen(true)}
        memoryOpen={memoryOpen}
        onToggleMemory={() => setMemoryOpen((open) => !open)}
        user={user}
        onSignOut={onSignOut}
      />
      {memoryOpen && chat.connection.status === 'open' && (
        <MemoryPanel
          memories={chat.memories}
          onLoad={chat.requestMemories}
          onDelete={chat.deleteMemory}
          onClose={() => setMemoryOpen(false)}
        />
      )}
      <div className="app-body">
        <Sidebar
          list={chat.sessions}
          currentId={conversation.sessionId}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          onOpen={(sessionId) => {
            setDrawerOpen(false);
            chat.openSession(sessionId);
          }}
          onSearch={chat.searchSessions}
          onLoadMore={chat.loadMoreSessions}
          onRename={chat.renameSession}
          onDelete={chat.deleteSession}
        />
        <DropZone onFiles={attachments.add} disabled={attachDisabled}>
          <MessageList
            conversation={conversation}
            canAsk={chat.canSend}
            onAsk={chat.send}
            onContinue={chat.continueAnswer}
            onFeedback={chat.sendFeedback}
            onRegenerate={chat.regenerate}
            onEdit={chat.editQuestion}
            onSwitchVersion={chat.switchVersion}
          />
          <div className="chat-footer">
            {problem && (
              <Banner
                tone="error"
                action={
                  problem.retryQuestion || problem.retry
                    ? { label: 'Try again', onClick: chat.retry }
                    : undefined
                }
                onDismiss={chat.dismissProblem}
              >
                {problem.message}
              </Banner>
            )}
            {conversation.handoff && (
              <HandoffBanner handoff={conversation.handoff} onCancel={chat.cancelHandoff} />
            )}
            {notice && (
              <Banner tone="info" onDismiss={chat.dismissNotice}>
                {notice}
              </Banner>
            )}
            <Composer
              ready={chat.canSend}
              queueable={chat.canQueue}
              queued={conversation.queued !== undefined}
              running={turn !== undefined}
              stopping={turn?.stopping ?? false}
              onSend={send}
              onStop={chat.stop}
              tray={<AttachmentTray attachments={attachments} />}
              attachButton={<AttachButton attachments={attachments} disabled={attachDisabled} />}
              waitingFor={attachments.pending ? 'Uploading your files… Send once they are ready.' : undefined}
            />
            <UsageSummary usage={chat.usage} />
          </div>
        </DropZone>
      </div>
    </div>
  );
}

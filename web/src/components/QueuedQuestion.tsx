/** A question asked before the conversation had loaded, shown where it will go until it is sent. */
export function QueuedQuestion({ text }: { text: string }) {
  return (
    <article className="message message-user" aria-label="You" data-queued>
      <p className="user-text">{text}</p>
      <p className="queued-note">Waiting to send: it goes out once your conversation has loaded.</p>
    </article>
  );
}

/** Questions that show the assistant's tools at work. */
const SUGGESTIONS = ['How do I reset my password?', 'What time is it in Tokyo?', 'Where is the billing-api?'];

/** A new chat: a greeting and a few questions to start with. */
export function EmptyState({ canAsk, onAsk }: { canAsk: boolean; onAsk: (question: string) => void }) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <h2 id="empty-state-title">How can I help?</h2>
      <p>Ask a question, or start with one of these:</p>
      <ul className="suggestions">
        {SUGGESTIONS.map((question) => (
          <li key={question}>
            <button type="button" className="suggestion" disabled={!canAsk} onClick={() => onAsk(question)}>
              {question}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Three pulsing dots while the first words of the answer are on their way. */
export function TypingIndicator() {
  return (
    <span className="typing-indicator">
      <span aria-hidden="true" />
      <span aria-hidden="true" />
      <span aria-hidden="true" />
      <span className="visually-hidden">The assistant is thinking</span>
    </span>
  );
}

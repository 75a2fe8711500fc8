/** What each tool is, in words; a tool not listed here is shown by its name alone. */
const TOOL_LABELS: Record<string, string> = {
  kb_lookup: 'Knowledge base',
  current_time: 'Clock',
  lookup_resource: 'Resource catalogue',
};

/** The tools an answer used, each once, in the order they were first called, named in words. */
export function ToolsUsed({ tools }: { tools: string[] }) {
  const unique = [...new Set(tools)];
  if (unique.length === 0) return null;
  return (
    <ul className="tools-used" aria-label="Tools used">
      {unique.map((tool) => (
        <li key={tool} className="tool-chip" title={tool}>
          {TOOL_LABELS[tool] ?? <code>{tool}</code>}
        </li>
      ))}
    </ul>
  );
}

/** A topic recognised by whole-word keywords (English and German). */
export interface Topic {
  name: string;
  keywords: readonly string[];
}

// Coarse built-in topics so every request gets a useful intent label without configuration;
// tenants add their own or replace these by name in the gate config.
export const builtInTopics: readonly Topic[] = [
  { name: 'billing', keywords: ['invoice', 'invoices', 'billing', 'refund', 'payment', 'charged', 'subscription', 'price', 'pricing', 'rechnung', 'zahlung', 'rückerstattung', 'abonnement'] },
  { name: 'account', keywords: ['password reset', 'login', 'log in', 'sign in', 'my account', 'username', 'two-factor', '2fa', 'konto', 'anmelden', 'passwort'] },
  { name: 'technical', keywords: ['error', 'bug', 'crash', 'crashes', 'timeout', 'install', 'configure', 'configuration', 'api', 'deploy', 'worker', 'retry', 'retries', 'fehler', 'absturz', 'installieren'] },
  { name: 'code', keywords: ['function', 'typescript', 'javascript', 'python', 'code', 'compile', 'regex', 'sql', 'script', 'programm', 'programmieren'] },
  { name: 'legal', keywords: ['lawsuit', 'lawyer', 'attorney', 'contract law', 'sue', 'legal advice', 'liability', 'anwalt', 'klage', 'rechtsberatung'] },
  { name: 'medical', keywords: ['diagnosis', 'symptoms', 'medication', 'dosage', 'prescription', 'doctor', 'disease', 'arzt', 'symptome', 'medikament', 'krankheit'] },
  { name: 'financial-advice', keywords: ['stock tip', 'stocks', 'invest', 'investment', 'crypto', 'bitcoin', 'trading', 'aktien', 'investieren', 'geldanlage'] },
  { name: 'politics', keywords: ['election', 'vote', 'party', 'government', 'president', 'chancellor', 'politics', 'wahl', 'partei', 'regierung', 'politik'] },
];

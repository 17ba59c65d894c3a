/**
 * A PIN typed on screen: hidden, the numeric keypad on touch screens, never offered for autofill. `fresh` for a PIN
 * being set (a password manager may offer to keep it), otherwise one being checked.
 */
export function PinInput({ value, onChange, fresh }: { value: string; onChange(pin: string): void; fresh?: boolean }) {
  return (
    <input
      type="password"
      inputMode="numeric"
      autoComplete={fresh ? 'new-password' : 'off'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

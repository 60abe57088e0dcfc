import type { ReactNode } from 'react';
import {
  Button as AriaButton,
  Dialog,
  FieldError,
  Heading,
  Input,
  Label,
  Modal,
  ModalOverlay,
  Text,
  TextArea,
  TextField as AriaTextField,
  type ButtonProps as AriaButtonProps,
} from 'react-aria-components';
import styles from './ui.module.css';

type Variant = 'primary' | 'secondary' | 'quiet' | 'danger';

export interface ButtonProps extends Omit<AriaButtonProps, 'className'> {
  variant?: Variant;
  wide?: boolean;
}

/**
 * React Aria's button (keyboard, touch and pointer alike), at least 44 px tall. While pending it
 * is disabled and busy rather than React Aria's own pending state, whose announcement points at
 * the button by id: a button that goes away with its page (Place order, Sign in) left the live
 * region labelled by nothing (axe: role-img-alt, serious).
 */
export function Button({ variant = 'primary', wide = false, isPending = false, isDisabled, ...props }: ButtonProps) {
  return (
    <AriaButton
      {...props}
      isDisabled={(isDisabled ?? false) || isPending}
      aria-busy={isPending || undefined}
      className={`${styles.button} ${styles[variant]} ${wide ? styles.wide : ''}`}
    />
  );
}

export interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date';
  autoComplete?: string;
  description?: string;
  /** Messages from the domain's schema or the server's fieldErrors for this field. */
  errors?: string[] | undefined;
  isRequired?: boolean;
  multiline?: boolean;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email';
}

/** A labelled input with its description and errors tied to it (aria-describedby), from React Aria. */
export function TextField({ label, errors, description, multiline, inputMode, ...props }: TextFieldProps) {
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <AriaTextField {...props} isInvalid={invalid} validationBehavior="aria" className={styles.field}>
      <Label className={styles.label}>
        {label}
        {props.isRequired ? null : <span className={styles.optional}> (optional)</span>}
      </Label>
      {multiline ? <TextArea className={styles.input} rows={3} /> : <Input className={styles.input} inputMode={inputMode} />}
      {description ? (
        <Text slot="description" className={styles.description}>
          {description}
        </Text>
      ) : null}
      <FieldError className={styles.error}>{errors?.join(' ')}</FieldError>
    </AriaTextField>
  );
}

/** A message the guest must notice (a refusal): announced at once. */
export function Alert({ children, tone = 'danger' }: { children: ReactNode; tone?: 'danger' | 'info' }) {
  return (
    <div role={tone === 'danger' ? 'alert' : 'status'} className={`${styles.alert} ${styles[`alert_${tone}`]}`}>
      {children}
    </div>
  );
}

/** A placeholder while something loads, announced politely. */
export function Loading({ label }: { label: string }) {
  return (
    <p role="status" className={styles.loading}>
      {label}
    </p>
  );
}

/**
 * A modal dialog from React Aria: focus moves into it and stays there, Escape and the close
 * button dismiss it, and focus returns to what opened it.
 */
export function ModalDialog({
  isOpen,
  onOpenChange,
  title,
  children,
}: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
}) {
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={onOpenChange} isDismissable className={styles.overlay}>
      <Modal className={styles.modal}>
        <Dialog className={styles.dialog}>
          <div className={styles.dialogHeader}>
            <Heading slot="title" className={styles.dialogTitle}>
              {title}
            </Heading>
            <AriaButton slot="close" aria-label="Close" className={styles.close}>
              ×
            </AriaButton>
          </div>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

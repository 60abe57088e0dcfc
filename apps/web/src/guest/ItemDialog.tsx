import { useId, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button as AriaButton,
  Checkbox,
  CheckboxGroup,
  Group,
  Input,
  Label,
  NumberField,
  Radio,
  RadioGroup,
  Text,
} from 'react-aria-components';
import type { RouterOutputs } from '@bistro/client';
import { Alert, Button, ModalDialog, TextField } from '../components/ui';
import { cartStore } from '../lib/cart';
import { formatDelta, formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { useDebounced } from '../lib/useDebounced';
import { choose, chosenIds, chosenNames, defaultSelection, missingChoices, type Option, type OptionGroup } from './options';
import styles from './guest.module.css';

type Menu = RouterOutputs['menu']['get'];
type MenuItem = Menu['categories'][number]['items'][number];

const NONE = '__none__';

/** Configure a dish: its choices (nested as the menu defines them), quantity and note, priced by the server. */
export function ItemDialog({ item, location, onClose }: { item: MenuItem; location: Menu['location']; onClose: () => void }) {
  const trpc = useTRPC();
  const [selected, setSelected] = useState(() => defaultSelection(item.optionGroups));
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState('');
  const missing = missingChoices(item.optionGroups, selected);
  const missingId = useId();

  const line = useMemo(
    () => ({ itemId: item.id, quantity, options: chosenIds(item.optionGroups, selected), ...(note.trim() ? { note: note.trim() } : {}) }),
    [item, quantity, selected, note],
  );
  const asked = useDebounced(line, 200);
  // The price is the server's quote for exactly this line, never a sum made here.
  const quote = useQuery({
    ...trpc.orders.quote.queryOptions({ locationSlug: location.slug, type: 'pickup', lines: [asked] }),
    enabled: missing.length === 0,
    placeholderData: keepPreviousData,
  });
  const quoted = quote.data?.lines[0];
  const problem = quote.data?.problems[0];
  const upToDate = asked === line && !quote.isPlaceholderData && !quote.isFetching;

  const add = () => {
    cartStore.add(location.slug, {
      itemId: item.id,
      name: item.name,
      optionNames: chosenNames(item.optionGroups, selected),
      quantity,
      options: line.options,
      ...(line.note ? { note: line.note } : {}),
    });
    onClose();
  };

  return (
    <ModalDialog isOpen onOpenChange={(open) => !open && onClose()} title={item.name}>
      {item.photo ? (
        <img
          className={styles.dialogPhoto}
          src={item.photo.large}
          srcSet={`${item.photo.small} 320w, ${item.photo.large} 1280w`}
          sizes="(min-width: 32rem) 32rem, 100vw"
          width={1280}
          height={960}
          alt=""
        />
      ) : null}
      {item.description ? <p>{item.description}</p> : null}
      {item.allergens.length > 0 ? <p className={styles.allergens}>Contains: {item.allergens.join(', ')}</p> : null}

      {item.optionGroups.map((group) => (
        <ChoiceGroup key={group.id} group={group} selected={selected} onChange={setSelected} currency={location.currency} />
      ))}

      <NumberField className={styles.quantity} minValue={1} maxValue={99} value={quantity} onChange={(v) => setQuantity(Number.isFinite(v) ? v : 1)}>
        <Label className={styles.groupLabel}>Quantity</Label>
        <Group className={styles.stepper}>
          <AriaButton slot="decrement" className={styles.stepButton}>
            −
          </AriaButton>
          <Input className={styles.stepInput} />
          <AriaButton slot="increment" className={styles.stepButton}>
            +
          </AriaButton>
        </Group>
      </NumberField>

      <TextField label="Note for the kitchen" name="note" value={note} onChange={setNote} multiline description="Allergies, no onions…" />

      {problem ? <Alert>{problem.message}</Alert> : null}
      {quote.isError ? <Alert>{errorMessage(quote.error)}</Alert> : null}
      {missing.length > 0 ? (
        <p id={missingId} className={styles.missing}>
          Still to choose: {missing.map((g) => g.name).join(', ')}
        </p>
      ) : null}
      <div className={styles.dialogActions}>
        <Button wide isDisabled={missing.length > 0 || !quoted || !!problem || !upToDate} onPress={add} aria-describedby={missing.length > 0 ? missingId : undefined}>
          {missing.length > 0
            ? `Choose ${missing[0]!.name.toLowerCase()} to add`
            : quoted
              ? `Add ${quantity} to order · ${formatPrice(quoted.lineTotalMinor, quote.data!.currency)}`
              : 'Pricing…'}
        </Button>
      </div>
    </ModalDialog>
  );
}

function ChoiceGroup({
  group,
  selected,
  onChange,
  currency,
}: {
  group: OptionGroup;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  currency: string;
}) {
  const chosen = group.options.filter((o) => selected.has(o.id));
  const rule =
    group.minSelections === group.maxSelections
      ? `Choose ${group.minSelections}`
      : group.minSelections === 0
        ? `Up to ${group.maxSelections}`
        : `Choose ${group.minSelections} to ${group.maxSelections}`;
  const nested = chosen.filter((o) => o.optionGroups.length > 0);
  const label = (
    <Label className={styles.groupLabel}>
      {group.name} <span className={styles.rule}>{group.minSelections > 0 ? `Required · ${rule}` : rule}</span>
    </Label>
  );

  const choice =
    group.maxSelections === 1 ? (
      <RadioGroup
        className={styles.choices}
        value={chosen[0]?.id ?? (group.minSelections === 0 ? NONE : null)}
        onChange={(id) => onChange(choose(selected, group, id === NONE ? [] : [id]))}
        isRequired={group.minSelections > 0}
      >
        {label}
        {group.minSelections === 0 ? (
          <Radio value={NONE} className={styles.choice}>
            <span className={styles.mark} aria-hidden="true" />
            <span className={styles.choiceName}>None</span>
          </Radio>
        ) : null}
        {group.options.map((option) => (
          <Radio key={option.id} value={option.id} isDisabled={!option.available} className={styles.choice}>
            <span className={styles.mark} aria-hidden="true" />
            <OptionText option={option} currency={currency} />
          </Radio>
        ))}
      </RadioGroup>
    ) : (
      <CheckboxGroup
        className={styles.choices}
        value={chosen.map((o) => o.id)}
        onChange={(ids) => onChange(choose(selected, group, ids))}
      >
        {label}
        {group.options.map((option) => (
          <Checkbox
            key={option.id}
            value={option.id}
            isDisabled={!option.available || (chosen.length >= group.maxSelections && !selected.has(option.id))}
            className={styles.choice}
          >
            <span className={`${styles.mark} ${styles.square}`} aria-hidden="true" />
            <OptionText option={option} currency={currency} />
          </Checkbox>
        ))}
        {chosen.length >= group.maxSelections ? (
          <Text slot="description" className={styles.rule}>
            That’s the most you can choose here.
          </Text>
        ) : null}
      </CheckboxGroup>
    );

  return (
    <div className={styles.choiceBlock}>
      {choice}
      {nested.map((option) => (
        <div key={option.id} className={styles.nested}>
          {option.optionGroups.map((g) => (
            <ChoiceGroup key={g.id} group={{ ...g, name: `${g.name} (${option.name})` }} selected={selected} onChange={onChange} currency={currency} />
          ))}
        </div>
      ))}
    </div>
  );
}

function OptionText({ option, currency }: { option: Option; currency: string }) {
  return (
    <>
      <span className={styles.choiceName}>{option.name}</span>
      {option.available ? (
        <span className={styles.delta}>{formatDelta(option.priceDeltaMinor, currency)}</span>
      ) : (
        <span className={styles.soldOutSmall}>Sold out</span>
      )}
    </>
  );
}

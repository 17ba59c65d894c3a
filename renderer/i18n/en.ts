/**
 * Every word a screen shows, in English. `pt.ts` has the same shape (the type checker holds them together); a new
 * language is one more file of this shape. Functions take the numbers and names a sentence needs.
 */
import { formatMoney, type Money } from '../../core/money';
import type { StationMode } from '../../core/access';
import type { FailedCondition } from '../../core/policy';
import type { StalenessUnknownReason } from '../../core/staleness';
import type { ErrorCode } from '../../core/result';
import type { BadgeRejection } from '../../core/badge/badge-code';

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
/** "Wed 2 Dec" for a YYYY-MM-DD day (noon UTC, so the weekday is that date's in every zone). */
const dayWords = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
const mins = (m: number) => (m < 1 ? 'under a minute' : m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

export const en = {
  lang: { name: 'English', label: 'Language' },
  common: {
    back: 'Back',
    cancel: 'Cancel',
    close: 'Close',
    done: 'Done',
    retry: 'Try again',
    loading: 'Loading…',
    yes: 'Yes',
    no: 'No',
    search: 'Search',
    reason: 'Reason',
    save: 'Save',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: (name: string) => `Signed in: ${name}`,
    staffMember: 'Staff member',
    pin: 'PIN',
    chooseStaff: 'Choose your name',
    signInTitle: 'Staff sign-in',
    signInLead: 'Sign in with your PIN to use this station.',
    noStaff:
      'No staff on this station yet. A supervisor adds them on the command line: npm run station -- --db FILE staff-add …',
    time: (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
    stationName: (origin: string) => origin.replace(/^station:/, ''),
  },
  header: {
    modes: {
      kiosk: 'Badge kiosk',
      desk: 'Registration desk',
      door: 'Door scanner',
      supervisor: 'Supervisor',
    } satisfies Record<StationMode, string>,
    station: (id: string) => `Station ${id}`,
    link: {
      online: 'Online',
      offline: 'Offline',
      connecting: 'Connecting…',
      degraded: 'Connection unsteady',
      alone: 'Working alone',
    },
    hqAge: (m: number) => `HQ numbers from ${mins(m)} ago`,
    hqUnknown: 'HQ numbers: age unknown',
    waiting: (n: number) => (n === 0 ? 'Everything sent' : `${n} ${n === 1 ? 'event' : 'events'} waiting to send`),
    screenLost: 'This screen lost its station. Reconnecting…',
  },
  staleness: {
    never_synced: 'this station has not heard from HQ yet',
    restarted: 'the station restarted since it last heard from HQ',
    clock_moved_backwards: 'the computer clock moved backwards since the last contact with HQ',
    suspended: 'the computer was asleep since the last contact with HQ',
    invalid_reading: 'the clock readings are not valid',
  } satisfies Record<StalenessUnknownReason, string>,
  errors: {
    invalid_input: 'Some details are not valid.',
    not_found: 'Not found on this station.',
    conflict: 'That cannot be done right now.',
    refused: 'The sale is refused.',
    unauthorized: 'Sign in with your staff PIN first.',
    locked_out: 'Too many wrong PINs: this account is locked for a few minutes.',
    forbidden: 'This station or your role may not do that.',
    busy: 'The station is busy with another program; nothing was saved. Try again in a moment.',
    damaged: 'The station’s database is damaged: nothing more can be saved here. Call a supervisor.',
    internal: 'Something went wrong; nothing was saved.',
  } satisfies Record<ErrorCode, string>,
  wrongPin: (left: number) => `Wrong PIN. ${left} ${left === 1 ? 'try' : 'tries'} left.`,
  lockedUntil: (time: string) => `Locked after too many wrong PINs. Try again after ${time}.`,
  failed: (f: FailedCondition): string => {
    switch (f.code) {
      case 'invalid_numbers':
        return f.what === 'seats'
          ? 'The seat numbers for this session are not valid yet: sync with HQ first.'
          : 'The sale settings for this session are not valid: check the configuration.';
      case 'no_capacity':
        return 'This session has no seats.';
      case 'staleness_unknown':
        return `No offline sale: ${en.staleness[f.reason]}.`;
      case 'too_stale':
        return `Last contact with HQ was ${mins(f.minutes)} ago; offline sales need contact within ${mins(f.maxMinutes)}.`;
      case 'too_few_seats_left':
        return `Only ${f.free} of ${f.capacity} seats (${pct(f.ratio)}) were free at the last sync; offline sales need at least ${pct(f.minRatio)}.`;
      case 'overdraft_limit_reached':
        return f.pending === 0
          ? `Sales elsewhere since the last sync (about ${f.expectedElsewhere.toFixed(1)} seats) leave no safe margin.`
          : `This desk already has ${f.pending} unconfirmed offline ${f.pending === 1 ? 'sale' : 'sales'} for this session; the limit now is ${f.limit}.`;
      case 'session_ended':
        return `This session ended at ${f.endsLocal} (${mins(f.minutesAgo)} ago).`;
      case 'session_not_today':
        return `This session is on day ${f.sessionDay} (${dayWords(f.sessionDate)}), not today.`;
      case 'ticket_not_valid_that_day':
        return `${f.ticket} is valid on ${f.validDays.map((d) => `day ${d.day} (${dayWords(d.date)})`).join(', ')} only — not on day ${f.day} (${dayWords(f.date)}).`;
      case 'track_not_included':
        return `${f.ticket} covers the ${f.tracks.join(', ')} ${f.tracks.length === 1 ? 'track' : 'tracks'} only, not ${f.track}.`;
      case 'registration_inactive':
        return f.status === 'pending'
          ? `Registration pending (not paid): take the payment, or a supervisor accepts it.${f.note ? ` ${f.note}` : ''}`
          : `Registration ${f.status === 'cancelled' ? 'cancelled' : 'refunded'}: no badge and no entry.${f.note ? ` (${f.note})` : ''}`;
    }
  },
  kiosk: {
    welcome: 'Welcome! Print your badge',
    lead: 'Type your name, e-mail or confirmation code — or scan the code from your confirmation e-mail.',
    searchLabel: 'Your name, e-mail or confirmation code',
    keepTyping: 'Keep typing…',
    noResults: 'No one found. Check the spelling, or ask at the registration desk.',
    results: (n: number) => `${n} ${n === 1 ? 'person' : 'people'} found`,
    isThisYou: 'Is this you?',
    ticket: 'Ticket',
    company: 'Company',
    print: 'Print my badge',
    notMe: 'Not me — go back',
    preview: (name: string) => `Badge preview for ${name}`,
    printing: 'Printing your badge…',
    takeBadge: 'Take your badge from the printer',
    enjoy: 'Enjoy the conference!',
    failedTitle: 'The printer could not print your badge',
    failedBody: 'Nothing was printed. Please ask at the registration desk.',
    uncertainTitle: 'We are not sure your badge printed',
    uncertainBody: 'Please wait here: a member of staff will check the printer. We will not print it twice.',
    staffCheck: 'Staff: check the printer',
    didItPrint: 'Did the badge come out of the printer?',
    itPrinted: 'Yes, it printed',
    itDidNot: 'No — print it again',
    alreadyTitle: 'Your badge has already been printed',
    alreadyBody: (station: string, time: string) =>
      `It was printed at ${station} at ${time}. For a new one, please go to the registration desk.`,
    needsDesk: 'This badge needs a member of staff. Please go to the registration desk.',
    goToDesk: 'Please go to the registration desk.',
    startOver: 'Start over',
    stillThere: 'Still there? This screen starts over in a moment.',
  },
  desk: {
    tabs: {
      find: 'Find & print',
      walkup: 'Walk-up',
      sessions: 'Sessions',
      queue: 'Print queue',
      day: 'Cash-up & stock',
      alerts: 'Alerts',
    },
    searchLabel: 'Name, e-mail or confirmation code',
    selectHint: 'Search for someone, or scan their badge or confirmation code.',
    code: 'Confirmation code',
    email: 'E-mail',
    company: 'Company',
    ticket: 'Ticket',
    sessionsOf: 'Sessions',
    noSessions: 'No sessions beyond the ticket.',
    badge: 'Badge',
    notPrinted: 'Not printed yet',
    printedAt: (station: string, time: string) => `Printed at ${station} at ${time}`,
    printBadge: 'Print badge',
    reprint: 'Reprint (old badge stops working)',
    reprintReasons: ['Lost badge', 'Damaged badge', 'Name misspelt', 'Printed twice at two kiosks'],
    otherReason: 'Other reason',
    reasonNeeded: 'Give a reason for the reprint.',
    addSession: 'Add a session',
    release: 'Release seat',
    releaseReason: 'Why is the seat released?',
    released: 'Seat released.',
    jobOutcome: {
      queued: 'Queued',
      sending: 'Printing…',
      printed: 'Printed',
      failed: 'Failed — nothing printed',
      uncertain: 'Uncertain — check the printer',
    },
    walkup: {
      title: 'Register a walk-up',
      first: 'First name',
      last: 'Last name',
      email: 'E-mail (optional)',
      company: 'Company (optional)',
      ticket: 'Ticket type',
      register: 'Register',
      nameNeeded: 'Enter a first or last name.',
      emailInvalid: 'Check the e-mail address (or leave it empty).',
      done: (name: string) => `${name} is registered.`,
      price: (amount: string) => `Price: ${amount}`,
      payment: 'Paid by',
      methods: { cash: 'Cash', card: 'Card', invoice: 'Invoice', complimentary: 'Complimentary' },
      reference: 'Card terminal or invoice reference',
      compReason: 'Why complimentary (who authorised it)',
      duplicateTitle: 'This may be someone already registered:',
      registerAnyway: 'It is another person: register anyway',
    },
    state: {
      status: { paid: 'Paid', pending: 'Pending: not paid', cancelled: 'Cancelled', refunded: 'Refunded' },
      printed: 'Badge printed',
      needsReprint: 'Needs reprint',
      checkedIn: 'Checked in',
    },
    correct: {
      open: 'Correct details',
      title: 'Correct the registration',
      save: 'Save correction',
      reason: 'Why (optional)',
      saved: 'Corrected. Sent to HQ and the other stations.',
    },
    sessions: {
      title: 'Sessions on sale',
      for: (name: string) => `Adding a session for ${name}`,
      pickPerson: 'Choose a person first (Find & print) to sell them a seat.',
      seatsLeft: (left: number, cap: number) => `${left} of ${cap} seats left`,
      inHand: (n: number) => `${n} in this desk’s hands`,
      fromHq: (age: string) => `HQ numbers ${age}`,
      ago: (m: number) => `from ${mins(m)} ago`,
      imported: 'from the import (HQ has not sent numbers yet)',
      starts: (time: string, room: string) => `${time} · ${room}`,
      choose: 'Choose',
      preview: 'Before you sell',
      tier: {
        online: 'Online: HQ decides now (a few seconds).',
        allotment: 'From this desk’s seats in hand: no risk.',
        overdraft: 'Offline sale within the safe limit: at risk until HQ confirms.',
        override: 'Supervisor override: at risk until HQ confirms.',
      },
      refusedTitle: 'This desk may not sell this seat now:',
      sell: 'Sell seat',
      override: 'Supervisor override',
      overrideLead: 'A supervisor may sell anyway. The reasons stay on record.',
      supervisor: 'Supervisor',
      outcome: {
        hq_confirmed: 'Sold: HQ confirmed the seat.',
        allotment: 'Sold from this desk’s seats in hand.',
        overdraft: 'Sold offline, within the safe limit. At risk until HQ confirms.',
        override: 'Sold by supervisor override. At risk until HQ confirms.',
        no_verdict_allotment: 'No answer from HQ in time; sold from this desk’s seats in hand.',
        no_verdict_overdraft: 'No answer from HQ in time; sold within the safe limit (at risk).',
        no_verdict_not_covered:
          'No answer from HQ yet, and this desk may not sell on its own. Wait, or cancel the sale.',
        oversold: 'HQ says the session is full: the seat was not there. Nothing was sold.',
        cancelled: 'The sale was cancelled.',
      },
      waitHq: 'Wait for HQ',
      cancelSale: 'Cancel the sale',
      confirmedLater: 'HQ confirmed the seat.',
      oversoldLater: 'HQ says the session was full: a case was opened for a supervisor.',
    },
    queue: {
      title: 'Print queue',
      empty: 'No print jobs yet.',
      uncertainFirst: 'Jobs that may or may not have printed — look at the printer:',
      didItPrint: 'Did it print?',
      yesPrinted: 'Yes, it printed',
      noReprint: 'No — print again',
      job: (name: string, time: string) => `${name} · ${time}`,
    },
    alerts: {
      title: 'Alerts',
      none: 'Nothing needs attention.',
      cases: 'Oversold sales (cases for a supervisor)',
      overBy: (n: number) => `over by ${n}`,
      twice: 'Badges printed twice while stations were apart',
      printedAtBoth: (a: string, at: string, b: string, bt: string) => `printed at ${a} ${at} and ${b} ${bt}`,
      reprintHint: 'Reprint with a reason so that only one badge works at the doors.',
    },
  },
  // ---- the desk's day (issue 19): decisions, changes, money, receipts, the cash-up, stock, batch printing ----
  deskDay: {
    money: (m: Money) => formatMoney(m, 'en-GB'),
    saved: 'Done. Sent to HQ and the other stations.',
    free: 'free',
    reasonOptional: 'Reason (optional)',
    paymentRequired: (amount: string) => `This costs ${amount}: take the payment first.`,
    needSupervisor: 'A supervisor’s PIN is needed for this.',
    validTickets: (names: string) => `Unknown ticket type. This conference has: ${names}.`,
    toPay: (amount: string) => `To pay: ${amount} · paid by`,
    supervisorLegend: 'A supervisor approves',
    supervisorPin: 'Supervisor’s PIN',
    settle: {
      open: 'Settle pending registration',
      title: (name: string) => `Settle ${name}’s pending registration`,
      how: 'What happens',
      pay: (ticket: string, amount: string) => `They pay for ${ticket} now: ${amount}`,
      accept: 'A supervisor accepts it as it is (no payment here)',
      note: 'Why it is accepted',
      payAction: (amount: string) => `Take ${amount} and mark paid`,
      acceptAction: 'Accept the registration',
    },
    change: {
      open: 'Change ticket',
      title: (name: string) => `Change ${name}’s ticket`,
      now: (ticket: string, price: string) => `Now: ${ticket} (${price}).`,
      to: 'New ticket',
      privileged: 'supervisor needed',
      reprint: 'The badge shows the ticket: it will need a reprint.',
      action: (ticket: string) => `Change to ${ticket}`,
      payAndChange: (amount: string) => `Take ${amount} and change the ticket`,
    },
    transfer: {
      open: 'Transfer to someone else',
      title: (name: string) => `Transfer ${name}’s registration`,
      what: (ticket: string, seats: number) =>
        `The new person gets the ${ticket}${seats > 0 ? ` and ${seats} ${seats === 1 ? 'session seat' : 'session seats'}` : ''}, and the payments stay with the registration.`,
      badgeVoided: 'The printed badge names the old person: it stops working at the doors. Print the new badge next.',
      action: 'Transfer',
    },
    seat: {
      when: (time: string, room: string) => `${time}, ${room}`,
      unconfirmed: 'not yet confirmed by HQ',
      swap: 'Swap seat',
      swapTitle: (session: string) => `Swap the seat in ${session}`,
      swapTo: 'New session',
      noOther: 'No other session on sale.',
      price: (amount: string) => `Listed price: ${amount}`,
      swapAction: 'Swap seat',
      cost: (amount: string) => `Seat price: ${amount}`,
      payAndSell: (amount: string) => `Take ${amount} and sell the seat`,
      payAndSwap: (amount: string) => `Take ${amount} and swap`,
      swapped: (session: string) => `Swapped: the seat in ${session} is theirs; the old seat was given back.`,
      swapWaiting: 'The new seat is sold; the old seat is given back once HQ confirms it.',
      releaseTitle: (session: string) => `Give back the seat in ${session}`,
      releaseWhat: (name: string) => `${name} loses this seat; it goes back on sale.`,
    },
    pay: {
      title: 'Payments here',
      none: 'No payments taken at this desk.',
      paid: (amount: string) => `Paid in total: ${amount}`,
      status: { paid: 'paid', voided: 'voided', refunded: 'refunded' },
      void: 'Void',
      refund: 'Refund',
      voidTitle: (what: string) => `Void the payment for ${what}`,
      refundTitle: (what: string) => `Refund the payment for ${what}`,
      voidWhat: (what: string) => `${what} is recorded as a mistake: no money changed hands.`,
      refundWhat: (what: string) => `${what} is given back to the person, the same way it was paid.`,
      voidAction: (amount: string) => `Void ${amount}`,
      refundAction: (amount: string) => `Refund ${amount}`,
    },
    receipt: {
      open: 'Receipt',
      title: (name: string) => `Receipt for ${name}`,
      total: (amount: string) => `Total: ${amount}`,
      nothing: 'Nothing paid here yet.',
      print: 'Print receipt',
      download: 'Download (PNG)',
    },
    report: {
      title: 'Day report (cash-up)',
      lead: 'Counts and sums per staff member and payment method, badges against stock, and sales HQ has not confirmed yet.',
      download: 'Download day report (CSV)',
      saved: (file: string, rows: number) => `Downloaded ${file} (${rows} ${rows === 1 ? 'row' : 'rows'}).`,
    },
    stock: {
      title: 'Badge stock today',
      loaded: 'Blank cards loaded',
      issued: 'Badges issued',
      voided: 'Badges voided',
      spoiled: 'Cards spoiled',
      left: 'Cards left',
      unknown: 'unknown — record the cards loaded',
      low: (n: number) => `Only ${n} blank cards left: load more.`,
      cards: 'Cards loaded now',
      note: 'Note (optional)',
      record: 'Record cards loaded',
    },
    batch: {
      title: 'Batch printing (the night before)',
      lead: 'Every badge not yet printed, in order, with a divider slip per letter. A paper-out pauses it; resume where it stopped.',
      order: 'Order',
      byName: 'By last name',
      byCompany: 'By company',
      allTickets: 'All ticket types',
      dividers: 'Divider slip per letter',
      start: 'Start batch print',
      progress: (done: number, total: number) => `${done} of ${total} badges printed`,
      skipped: (n: number) => `${n} skipped`,
      state: { running: 'Printing', paused: 'Paused', done: 'Finished', cancelled: 'Cancelled' },
      pausedTitle: 'The batch paused:',
      pausedHint:
        'Fix the printer (load cards, close the lid). If a job is uncertain, confirm it in the print queue. Then resume.',
      supervisorOnly: 'Batch printing is for a supervisor signed in at this desk: sign out, and a supervisor signs in.',
      resume: 'Resume',
      cancel: 'Stop the batch',
    },
  },
  supervisor: {
    tabs: {
      printers: 'Printers',
      settings: 'Settings',
      imports: 'Imports',
      cases: 'Cases',
      board: 'Availability',
      sync: 'Sync',
      find: 'Find & print',
      walkup: 'Walk-up',
      sessions: 'Sessions',
      queue: 'Print queue',
    },
    cases: {
      title: 'Oversold sales',
      lead: 'Open cases first, soonest deadline first. Each action needs a supervisor PIN and is decided by HQ.',
      none: 'No open cases.',
      resolvedTitle: 'Resolved',
      noneResolved: 'No case resolved yet.',
      soldBy: (who: string, station: string, time: string) =>
        `${who} was sold a seat at ${station}; HQ opened the case at ${time}.`,
      soldHere: 'this station',
      tier: (t: string) => `Sold as: ${t}`,
      tiers: {
        online: 'online (HQ decided)',
        allotment: 'from seats in hand',
        overdraft: 'offline, within the safe limit',
        override: 'supervisor override',
      } as Record<string, string>,
      basis: (sold: number, cap: number, age: string) =>
        `The desk saw ${sold} of ${cap} seats sold, HQ numbers ${age}.`,
      basisUnknown: 'The desk did not know how old its HQ numbers were.',
      overBy: (n: number) => `HQ: the session is over by ${n}.`,
      due: (time: string, left: number) =>
        left >= 0 ? `Decide by ${time} (${Math.round(left)} min left)` : `Overdue since ${time}`,
      byDefault: (a: string) => `If nobody decides, HQ will: ${a}.`,
      escalated: 'Due soon: every supervisor was alerted.',
      actions: {
        honor: 'Honor (extra chair)',
        reverse: 'Reverse the sale',
        waitlist: 'Move to the waitlist',
        refuse: 'Refuse',
        move: 'Move to another session',
      } as Record<string, string>,
      actionPast: {
        honor: 'honored',
        reverse: 'reversed',
        waitlist: 'waitlisted',
        refuse: 'refused',
        move: 'moved',
      } as Record<string, string>,
      actionTo: {
        honor: 'honor it (an extra chair)',
        reverse: 'reverse the sale',
        waitlist: 'move them to the waitlist',
        refuse: 'refuse the seat',
        move: 'move them',
      } as Record<string, string>,
      moveTo: 'Move to',
      supervisor: 'Supervisor',
      pin: 'Supervisor PIN',
      note: 'Note (optional)',
      requested: (a: string, time: string, status: string) => `This station asked to ${a} at ${time}: ${status}.`,
      requestStatus: {
        pending: 'waiting for HQ',
        won: 'HQ applied it',
        lost: 'another station’s decision won',
        refused: 'HQ refused it',
      } as Record<string, string>,
      resolvedBy: (what: string, who: string, time: string) =>
        `${what.charAt(0).toUpperCase()}${what.slice(1)} by ${who} at ${time}`,
      outcome: {
        applied: 'Done: HQ applied it.',
        pending: 'Sent. Waiting for HQ (another station may decide first).',
        lost: 'Another station decided first.',
        refused: 'HQ refused it.',
      } as Record<string, string>,
      exports: 'Exports (CSV)',
      exportContacts: 'Download contacts and refunds',
      exportCases: 'Download all cases',
      waitlist: 'Waitlist',
    },
    board: {
      title: 'Availability',
      lead: 'Every session, sessions starting soon first. Bars: sold · held by stations · of which here · free.',
      sold: 'sold',
      allotted: 'held by stations',
      here: 'held here',
      free: 'free',
      over: (n: number) => `OVER BY ${n}`,
      cases: (n: number) => `${n} open ${n === 1 ? 'case' : 'cases'}`,
      numbers: (sold: number, cap: number, allotted: number, here: number, free: number) =>
        `${sold}/${cap} sold · ${allotted} held (${here} here) · ${free} free`,
      age: (m: number | null) => (m === null ? 'from the import' : `HQ ${mins(m)} ago`),
      included: 'included in every ticket',
      may: (t: string) => `This desk may sell: ${t}`,
      mayNot: 'This desk may not sell now',
      phase: { upcoming: 'upcoming', running: 'running now', over: 'over' } as Record<string, string>,
      pending: (n: number) => `${n} waiting for HQ`,
    },
    sync: {
      title: 'Sync',
      history: 'The link, last hour',
      historyNone: 'Sync is not configured on this station: it works alone.',
      states: { online: 'online', degraded: 'unsteady', connecting: 'connecting', offline: 'offline' } as Record<
        string,
        string
      >,
      freshness: 'HQ freshness',
      outbox: 'Waiting to send',
      oldest: (m: number | null) => (m === null ? 'nothing waiting' : `oldest waiting ${mins(m)}`),
      drain: (sent: number, total: number) => `Sending the backlog: ${sent} of ${total}`,
      inbox: (applied: number, q: number) => `Received: ${applied} applied, ${q} quarantined`,
      quarantined: 'Quarantined messages (dead-lettered)',
      allotments: 'Seats held by this station',
      noAllotments: 'No seats in hand.',
      allotment: (title: string, left: number, seats: number) => `${title}: ${left} of ${seats} left`,
      workOffline: 'Work offline',
      workOfflineHint: 'Stops sending and receiving until switched off; sales follow the offline rules.',
    },
    imports: {
      title: 'Imports',
      lead: 'A conference file (JSON), or registrants from another system (CSV) with a column mapping. Check the preview before importing.',
      file: 'File to import',
      chosen: (name: string, kind: string) => `${name} (${kind})`,
      kindJson: 'conference file',
      kindCsv: 'registrants, CSV',
      notJson: 'The file is not valid JSON',
      mappingTitle: 'Which column holds what?',
      missing: 'Still needed before the import can run:',
      fields: {
        id: 'Registrant id',
        confirmationCode: 'Confirmation code',
        firstName: 'First name',
        lastName: 'Last name',
        email: 'E-mail',
        company: 'Company',
        ticketTypeId: 'Ticket type',
        sessions: 'Sessions',
      } as Record<string, string>,
      need: { always: 'required', or_default: 'required (or a default)', optional: 'optional' } as Record<
        string,
        string
      >,
      unmapped: '(not in this file)',
      defaultTicket: 'Default ticket type (new registrants)',
      previewCaption: 'The first rows, as they would import',
      line: 'Line',
      check: 'Would be',
      outcome: { insert: 'added', update: 'updated', reject: 'rejected' } as Record<string, string>,
      run: 'Import',
      reading: 'Sending the file…',
      progress: (done: number, total: number) =>
        `Writing ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')}`,
      reportTitle: 'Import finished',
      report: (ins: number, upd: number, rej: number) =>
        `${ins.toLocaleString('en-GB')} added, ${upd.toLocaleString('en-GB')} updated, ${rej.toLocaleString('en-GB')} rejected.`,
      rejectedRow: (line: number, reason: string) => `Line ${line}: ${reason}`,
    },
    settings: {
      title: 'Settings and setup',
      station: 'Station',
      mode: 'Mode',
      connection: 'Service Bus connection',
      noConnection: 'none: this station works alone',
      printers: 'Printers',
      noPrinters: 'none configured',
      database: 'Database',
      integrity: { checking: 'being checked…', ok: 'sound', damaged: 'DAMAGED: see the status' } as Record<
        string,
        string
      >,
      testTitle: 'Test a connection string',
      connectionString: 'Connection string (from the Azure portal)',
      test: 'Test it',
      testing: 'Testing…',
      testOk: 'This connection string works.',
      testFailed: 'This connection string does not work.',
      notSaved:
        'Nothing was saved. The station keeps its current connection; change it in the station’s configuration file.',
      policyTitle: 'Sale policy on this station',
      setting: 'Setting',
      value: 'Value',
      from: 'Set by',
      meaning: 'What it means',
      source: { default: 'Lanyard’s default', conference: 'the conference', station: 'this station' } as Record<
        string,
        string
      >,
      policy: {
        maxStalenessMin: {
          name: 'Longest time without HQ',
          words: (v: number) => `Offline sales stop ${v} minutes after the last word from HQ.`,
        },
        minRemainingRatio: {
          name: 'Seats that must be left',
          words: (v: number) =>
            `An offline sale needs at least ${Math.round(v * 100)}% of the seats free at the last sync.`,
        },
        alpha: {
          name: 'Accepted risk',
          words: (v: number) =>
            `Each offline sale may oversell with a chance of at most ${Math.round(v * 1000) / 10}%.`,
        },
        overdraftCap: {
          name: 'Offline sales per session',
          words: (v: number) => `At most ${v} unconfirmed offline sales per session on this station.`,
        },
        verdictTimeoutMs: {
          name: 'Wait for HQ',
          words: (v: number) => `Online, a sale waits ${v / 1000} s for HQ before deciding as if offline.`,
        },
        allotmentCover: {
          name: 'Seats in hand: cover',
          words: (v: number) =>
            `Seats in hand should last through ${Math.round(v * 100)}% of the outages this desk has seen.`,
        },
        typicalOutageMin: {
          name: 'Assumed outage',
          words: (v: number) => `Before it has seen its own, a desk plans for outages of ${v} minutes.`,
        },
        allotmentMinSeats: {
          name: 'Seats in hand: at least',
          words: (v: number) => `A desk holds at least ${v} seat${v === 1 ? '' : 's'} for every session still on sale.`,
        },
        allotmentMaxSeats: {
          name: 'Seats in hand: at most',
          words: (v: number) =>
            v === 0 ? 'No seats in hand for a session.' : `Never more than ${v} seats in one desk’s hands per session.`,
        },
      } as Record<string, { name: string; words(v: number): string }>,
      staffTitle: 'Staff and PINs',
      roles: { desk: 'desk', supervisor: 'supervisor' } as Record<string, string>,
      locked: 'locked out',
      member: 'Staff member',
      newPin: 'New PIN',
      yourPin: 'Your PIN (supervisor)',
      setPin: 'Set the PIN',
      pinSet: (name: string) => `${name} has a new PIN (and is no longer locked out).`,
      auditTitle: 'Audit log',
      audit: 'Check the audit log and the database',
      auditOk: (rows: number) => `The audit log is intact (${rows} entries) and the database passed its full check.`,
      auditBad: 'The check failed.',
    },
    printers: {
      title: 'Printers',
      none: 'No printers configured on this station.',
      state: (s: string | null) =>
        s === null
          ? 'State unknown (not checked yet)'
          : ((
              {
                ready: 'Online, ready',
                paper_out: 'Paper out',
                cover_open: 'Cover open',
                offline: 'Offline',
                error: 'In error',
                unreachable: 'Not reachable',
                not_responding: 'Not answering',
                unknown: 'State unknown',
              } as Record<string, string>
            )[s] ?? s),
      paperLow: 'paper low',
      checked: (t: string) => `checked ${t}`,
      testPage: 'Print a test page',
      testDone: (uri: string, outcome: string) => `Test page on ${uri}: ${outcome}`,
      voidsTitle: 'Badges that no longer open doors',
      noVoids: 'None.',
      void: (name: string, version: number, time: string, reason: string) =>
        `${name}, version ${version}, voided ${time}: ${reason}`,
      previewTitle: 'A badge on each printer',
      previewFind: 'Whose badge? (name, e-mail or code)',
      previewAlt: (name: string, uri: string) => `${name}'s badge as ${uri} prints it`,
      logTitle: 'Print log (newest first)',
    },
    toast: { close: 'Dismiss' },
  },
  door: {
    chooseTitle: 'Which door is this?',
    entrance: 'Venue entrance (any valid badge)',
    scanTitle: (where: string) => `Scanning: ${where}`,
    scanHint: 'Scan a badge with the scanner, or turn on the camera.',
    change: 'Change door',
    useCamera: 'Use the camera',
    stopCamera: 'Stop the camera',
    cameraDenied: 'The camera cannot be used here. Use the handheld scanner.',
    counts: (n: number, cap: number) => `${n} in · ${cap} seats`,
    countsEntrance: (n: number) => `${n} checked in today`,
    welcome: (name: string) => `Welcome, ${name}`,
    again: (time: string) => `Already checked in at ${time} — let them in.`,
    valid: 'Valid badge',
    refused: 'Not admitted',
    reasons: {
      malformed: 'This is not a Lanyard badge code.',
      wrong_conference: 'This badge is for another conference.',
      unknown_key: 'Unknown badge signer: this station has not heard of the station that printed it.',
      bad_signature: 'Forged or damaged badge: the signature does not match.',
      revoked: 'This badge was cancelled (revoked). Send them to the desk.',
      superseded: 'A newer badge replaced this one. Send them to the desk.',
    } satisfies Record<BadgeRejection, string>,
    noSeat: 'No seat for this session on this badge. Send them to the desk.',
    next: 'Next badge',
  },
};

export type Words = typeof en;

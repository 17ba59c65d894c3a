/**
 * Every word a screen shows, in English. `pt.ts` has the same shape (the type checker holds them together); a new
 * language is one more file of this shape. Functions take the numbers and names a sentence needs.
 */
import type { StationMode } from '../../core/access';
import type { FailedCondition } from '../../core/policy';
import type { StalenessUnknownReason } from '../../core/staleness';
import type { ErrorCode } from '../../core/result';
import type { BadgeRejection } from '../../core/badge/badge-code';

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
/** "Wed 2 Dec" for a YYYY-MM-DD day (noon UTC, so the weekday is that date's in every zone). */
const dayWords = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
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
    noStaff: 'No staff on this station yet. A supervisor adds them on the command line: npm run station -- --db FILE staff-add …',
    time: (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
    stationName: (origin: string) => origin.replace(/^station:/, ''),
  },
  header: {
    modes: { kiosk: 'Badge kiosk', desk: 'Registration desk', door: 'Door scanner', supervisor: 'Supervisor' } satisfies Record<StationMode, string>,
    station: (id: string) => `Station ${id}`,
    link: { online: 'Online', offline: 'Offline', connecting: 'Connecting…', degraded: 'Connection unsteady', alone: 'Working alone' },
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
        return f.what === 'seats' ? 'The seat numbers for this session are not valid yet: sync with HQ first.' : 'The sale settings for this session are not valid: check the configuration.';
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
    alreadyBody: (station: string, time: string) => `It was printed at ${station} at ${time}. For a new one, please go to the registration desk.`,
    needsDesk: 'This badge needs a member of staff. Please go to the registration desk.',
    goToDesk: 'Please go to the registration desk.',
    startOver: 'Start over',
    stillThere: 'Still there? This screen starts over in a moment.',
  },
  desk: {
    tabs: { find: 'Find & print', walkup: 'Walk-up', sessions: 'Sessions', queue: 'Print queue', alerts: 'Alerts' },
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
    jobOutcome: { queued: 'Queued', sending: 'Printing…', printed: 'Printed', failed: 'Failed — nothing printed', uncertain: 'Uncertain — check the printer' },
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
        no_verdict_not_covered: 'No answer from HQ yet, and this desk may not sell on its own. Wait, or cancel the sale.',
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

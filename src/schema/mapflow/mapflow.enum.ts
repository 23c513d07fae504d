import { registerEnumType } from 'type-graphql';

export enum ProcessingStatus {
  UNPROCESSED = 'UNPROCESSED',
  IN_PROGRESS = 'IN_PROGRESS',
  AWAITING = 'AWAITING',
  OK = 'OK',
  IN_REVIEW = 'IN_REVIEW',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  REFUNDED = 'REFUNDED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(ProcessingStatus, {
  name: 'ProcessingStatus',
  description: 'Status of a Mapflow processing, of one of its AOIs, or of a project summary.',
  valuesConfig: {
    UNPROCESSED: { description: 'Created, not started yet.' },
    IN_PROGRESS: { description: 'Being processed (or queued for it).' },
    AWAITING: { description: 'Waiting for imagery from the data provider.' },
    OK: { description: 'Finished at 100 %; results can be downloaded.' },
    IN_REVIEW: {
      description:
        'Enabled per account on request: the results exist but are under review (`state` RUNNING, not terminal); `OK` once accepted.',
    },
    FAILED: { description: 'Ended without results; `messages` says why. Fix the parameters or restart.' },
    CANCELLED: { description: 'Cancelled before it finished.' },
    REFUNDED: { description: 'Cancelled and its credits refunded.' },
    UNKNOWN: { description: 'A status literal the gateway does not know yet; `upstreamStatus` keeps it.' },
  },
});

export enum ReviewStatus {
  IN_REVIEW = 'IN_REVIEW',
  NOT_ACCEPTED = 'NOT_ACCEPTED',
  ACCEPTED = 'ACCEPTED',
  REFUNDED = 'REFUNDED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(ReviewStatus, {
  name: 'ReviewStatus',
  description: 'Where the results of a processing are in the (optional) review workflow.',
  valuesConfig: {
    IN_REVIEW: { description: 'The results are being reviewed.' },
    NOT_ACCEPTED: { description: 'The reviewer rejected the results; the processing will be reworked, so it is not terminal.' },
    ACCEPTED: { description: 'The reviewer accepted the results.' },
    REFUNDED: { description: 'The results were rejected and the credits refunded.' },
    UNKNOWN: { description: 'A review status literal the gateway does not know yet.' },
  },
});

export enum ProjectRole {
  READONLY = 'READONLY',
  CONTRIBUTOR = 'CONTRIBUTOR',
  MAINTAINER = 'MAINTAINER',
  OWNER = 'OWNER',
}
registerEnumType(ProjectRole, {
  name: 'ProjectRole',
  description: 'What a user a project is shared with may do in it.',
  valuesConfig: {
    READONLY: { description: 'View the project and download results; any user.' },
    CONTRIBUTOR: { description: 'Also create and run processings; members of your team only.' },
    MAINTAINER: { description: 'Also delete processings and share the project; members of your team only.' },
    OWNER: { description: 'Everything, including assigning and removing the owner; members of your team only.' },
  },
});

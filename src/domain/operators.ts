/** The four French network operators (MCC 208) and the keys the wire format uses for them. */
export const OPERATORS = ['orange', 'sfr', 'bouygues', 'free'] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATOR_LABELS: Record<Operator, string> = {
  orange: 'Orange',
  sfr: 'SFR',
  bouygues: 'Bouygues Telecom',
  free: 'Free Mobile',
};

/** PLMN codes (MCC-MNC) each operator broadcasts; used to map imported cell logs to an operator. */
export const OPERATOR_PLMNS: Record<Operator, readonly string[]> = {
  orange: ['208-01', '208-02'],
  sfr: ['208-10', '208-09', '208-11', '208-13'],
  free: ['208-15', '208-16'],
  bouygues: ['208-20', '208-21', '208-88'],
};

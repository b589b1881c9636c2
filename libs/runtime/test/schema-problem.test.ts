// schemaProblem: the first thing a schema refuses, as the one line an operator reads.
import t from 'tap'
import Type from 'typebox'
import { schemaProblem } from '../src/schema-problem.js'

const Rule = Type.Object({
  id: Type.String({ pattern: '^[a-z]+$' }),
  kind: Type.Union([Type.Literal('email'), Type.Literal('phone')]),
  points: Type.Integer(),
  when: Type.Optional(Type.Object({ days: Type.Integer() }, { additionalProperties: false })),
}, { additionalProperties: false })

t.test('names the field and what is wrong with it', async (t) => {
  t.equal(schemaProblem(Rule, { id: 'a', kind: 'email', points: 3 }), undefined, 'nothing refused')
  t.match(schemaProblem(Rule, { id: 'a', kind: 'email' }), { field: '', keyword: 'required', text: 'points is missing' })
  t.match(schemaProblem(Rule, { id: 'a', kind: 'email', points: 1, when: {} }), { text: 'when.days is missing' })
  t.match(schemaProblem(Rule, { id: 'a', kind: 'email', points: 1, weight: 2 }), { text: 'unknown field weight' })
  t.match(schemaProblem(Rule, { id: 'a', kind: 'fax', points: 1 }), { field: 'kind', text: 'kind must be one of email, phone' })
  t.match(schemaProblem(Rule, { id: 'A', kind: 'email', points: 1 }), { field: 'id', keyword: 'pattern', text: /^id must match pattern/ })
  t.match(schemaProblem(Type.Array(Rule), 'x'), { text: /^the file must be array/ })
})

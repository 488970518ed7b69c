/* Decimal text to integer ns without floating point, so "0.1" is exactly 100 ns: the
 * significant digits as an integer, then a power of ten applied once. */
#include "tools/lib/usnum.h"

#define MAX_SIG 17		/* significant digits kept; the rest only scale */
#define MAX_NS 10000000000000000LL	/* 10^16 ns, about 115 days */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* mant * 10^exp10, rounded half up; -1 past MAX_NS. */
static int64_t scale(int64_t mant, int exp10)
{
	for (; exp10 > 0; exp10--) {
		if (mant > MAX_NS / 10)
			return -1;
		mant *= 10;
	}
	/* truncating all but the last digit dropped does not change the rounding */
	for (; exp10 < -1; exp10++)
		mant /= 10;
	if (exp10 == -1)
		mant = (mant + 5) / 10;
	return mant > MAX_NS ? -1 : mant;
}

int us_to_ns(const char *s, size_t n, bool signed_ok, int64_t *ns)
{
	const char *p = s, *e = s + n;
	bool neg = false, any = false;
	int64_t mant = 0, x;
	int sig = 0, exp10 = 3;		/* us -> ns */

	if (p < e && *p == '-' && signed_ok)
		neg = true, p++;
	for (; p < e && is_digit(*p); p++, any = true)
		if (sig < MAX_SIG)
			mant = mant * 10 + (*p - '0'), sig += mant > 0;
		else
			exp10++;
	if (p < e && *p == '.')
		for (p++; p < e && is_digit(*p); p++, any = true)
			if (sig < MAX_SIG)
				mant = mant * 10 + (*p - '0'), sig += mant > 0, exp10--;
	if (!any)
		return -1;
	if (p < e && (*p == 'e' || *p == 'E')) {
		bool eneg = false;
		int ev = 0, ed = 0;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < e && is_digit(*p) && ed < 4; p++, ed++)
			ev = ev * 10 + (*p - '0');
		if (!ed)
			return -1;
		exp10 += eneg ? -ev : ev;
	}
	if (p != e || exp10 < -40 || exp10 > 40)
		return -1;
	x = scale(mant, exp10);
	if (x < 0)
		return -1;
	*ns = neg ? -x : x;
	return 0;
}

// jamstat's C++ API in one include.
#pragma once

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/cell_store.hpp"
#include "jamstat/engine/dimension.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/engine/iso5218.hpp"
#include "jamstat/engine/measure.hpp"
#include "jamstat/engine/moments.hpp"
#include "jamstat/engine/person_key.hpp"
#include "jamstat/engine/person_set.hpp"
#include "jamstat/engine/record.hpp"
#include "jamstat/engine/rejected_tally.hpp"
#include "jamstat/engine/rollup.hpp"
#include "jamstat/engine/schema.hpp"

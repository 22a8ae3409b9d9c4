"""
Locust load test for the Recomp API (docs/PERFORMANCE.md).

Each simulated user first walks the k6 journey (register, login, measurement, goal, a later
measurement, progress, training plan, diet plan; the k6 script's think times), then loops the
steady-state tasks with their weights: log progress 3, view progress
history 2, view trends 1, training plan 2, diet plan 2, list goals 1, list measurements 1.

Every request is valid for the domain, so the expected result is 0
failures: women send `hip_cm` (the Navy method needs it), each person is drawn with a body fat that
suits their goal (a cut from well above the target, a bulk from well below the ceiling; the waist is
solved from the Navy equation), and repeated check-ins are always later than the previous one.
The numbers match scripts/load/payloads.ts, which the in-repo runner and the k6 script share.

Runs with Debian's Locust 2.12 (python3-locust):
    /usr/bin/locust -f scripts/performance_test_locust.py --headless -u 100 -r 10 -t 60s --host http://127.0.0.1:8000
Interactive (web UI on http://localhost:8089):
    locust -f scripts/performance_test_locust.py --host http://127.0.0.1:8000
"""

import json
import math
import random
import time
from datetime import datetime, timedelta, timezone

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = "TestPassword123!"
ACTIVITY_LEVELS = ["sedentary", "lightly_active", "moderately_active", "very_active", "extra_active"]

# (min, max) ranges: body fat %, weight kg, neck cm, hip cm (women). Same as payloads.ts BODIES.
BODIES = {
    "male": {
        "cutting": {"body_fat": (18, 28), "weight_kg": (80, 100), "neck_cm": (36, 40), "hip_cm": None},
        "bulking": {"body_fat": (10, 16), "weight_kg": (65, 80), "neck_cm": (35, 39), "hip_cm": None},
    },
    "female": {
        "cutting": {"body_fat": (28, 36), "weight_kg": (62, 80), "neck_cm": (31, 35), "hip_cm": (100, 110)},
        "bulking": {"body_fat": (19, 24), "weight_kg": (55, 66), "neck_cm": (30, 34), "hip_cm": (90, 100)},
    },
}
# A check-in moves body fat and weight a little from the initial values, the goal's way.
CHECK_IN_CHANGE = {
    "cutting": {"body_fat": (-0.8, 0.2), "weight_kg": (-1.0, 0.2)},
    "bulking": {"body_fat": (-0.2, 0.5), "weight_kg": (-0.2, 0.8)},
}
# Cutting targets and bulking ceilings: drawn inside the safe limits for women.
AIMS = {
    "male": {"cutting": (10, 15), "bulking": (18, 25)},
    "female": {"cutting": (18, 24), "bulking": (26, 30)},
}
# Think time after each journey step, seconds (the k6 script's sleeps).
THINK = {
    "register": 0.5, "login": 0.5, "measurement": 0.5, "goal": 1.0,
    "progress_measurement": 0.5, "progress": 0.5, "training_plan": 0.5, "diet_plan": 1.0,
}


def uniform(bounds):
    return random.uniform(bounds[0], bounds[1])


def navy_waist_for(sex, height_cm, body_fat, neck_cm, hip_cm):
    """The waist that gives `body_fat` by the US Navy equation (metric form), solved for the waist."""
    density = 495 / (body_fat + 450)
    if sex == "male":
        return 10 ** ((1.0324 + 0.15456 * math.log10(height_cm) - density) / 0.19077) + neck_cm
    return 10 ** ((1.29579 + 0.221 * math.log10(height_cm) - density) / 0.35004) + neck_cm - hip_cm


def iso_utc(moment):
    """datetime.utcnow().isoformat() + "Z", as existing clients send it: a 6-digit fraction."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def body_of(response):
    try:
        return response.json()
    except ValueError:
        return None


def field(body, key):
    return body.get(key) if isinstance(body, dict) else None


class BodyRecompUser(HttpUser):
    wait_time = between(1, 3)

    token = None
    goal_id = None

    # --- helpers -------------------------------------------------------------------------------

    def headers(self):
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}

    def send(self, method, path, name, expect, payload=None, check=None, auth=True):
        """One request; a failure unless the status is `expect` and `check(body)` holds."""
        kwargs = {"name": name, "catch_response": True, "headers": self.headers() if auth else {"Content-Type": "application/json"}}
        if payload is not None:
            kwargs["data"] = json.dumps(payload)
        with self.client.request(method, path, **kwargs) as response:
            body = body_of(response)
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return None
            if check is not None and not check(body):
                response.failure(f"unexpected body: {response.text[:200]}")
                return None
            response.success()
            return body if body is not None else {}

    def measurement(self, change=False):
        person = dict(self.person)
        if change:
            delta = CHECK_IN_CHANGE[self.goal_type]
            person["body_fat"] += uniform(delta["body_fat"])
            person["weight_kg"] += uniform(delta["weight_kg"])
        payload = {
            "weight_kg": person["weight_kg"],
            "calculation_method": "navy",
            "waist_cm": navy_waist_for(self.sex, self.height_cm, person["body_fat"], person["neck_cm"], person["hip_cm"] or 0),
            "neck_cm": person["neck_cm"],
        }
        if person["hip_cm"] is not None:
            payload["hip_cm"] = person["hip_cm"]
        return payload

    def next_check_in_time(self):
        """A week ahead, and always after the previous point (the service refuses an earlier one)."""
        at = max(datetime.now(timezone.utc) + timedelta(days=7), self.last_measured_at + timedelta(milliseconds=1))
        self.last_measured_at = at
        return at

    def think(self, step):
        gevent.sleep(THINK[step])

    # --- the k6 journey, once per user --------------------------------------------------------

    def on_start(self):
        self.sex = random.choice(["male", "female"])
        self.height_cm = random.uniform(160, 190)
        self.goal_type = random.choice(["cutting", "bulking"])
        ranges = BODIES[self.sex][self.goal_type]
        self.person = {
            "body_fat": uniform(ranges["body_fat"]),
            "weight_kg": uniform(ranges["weight_kg"]),
            "neck_cm": uniform(ranges["neck_cm"]),
            "hip_cm": uniform(ranges["hip_cm"]) if ranges["hip_cm"] else None,
        }
        email = f"loadtest{int(time.time() * 1000)}{random.randint(1000, 9999)}{random.randint(0, 10**6)}@example.com"

        registered = self.send("POST", "/api/v1/users", "Register User", 201, {
            "email": email, "password": PASSWORD, "full_name": "Load Test User", "date_of_birth": "1990-01-01",
            "gender": self.sex, "height_cm": self.height_cm, "preferred_calculation_method": "navy",
            "activity_level": random.choice(ACTIVITY_LEVELS),
        }, check=lambda b: isinstance(field(b, "id"), str), auth=False)
        if registered is None:
            raise StopUser()
        self.think("register")

        login = self.send("POST", "/api/v1/auth/login", "Login", 200, {"email": email, "password": PASSWORD},
                          check=lambda b: isinstance(field(b, "access_token"), str), auth=False)
        if login is None:
            raise StopUser()
        self.token = login["access_token"]
        self.think("login")

        started = datetime.now(timezone.utc)
        self.last_measured_at = started
        initial = self.send("POST", "/api/v1/measurements", "Create Measurement", 201,
                            {**self.measurement(), "measured_at": iso_utc(started)},
                            check=lambda b: (field(b, "calculated_body_fat_percentage") or 0) > 0)
        if initial is None:
            return
        self.think("measurement")

        aim = uniform(AIMS[self.sex][self.goal_type])
        aim_field = "target_body_fat_percentage" if self.goal_type == "cutting" else "ceiling_body_fat_percentage"
        goal = self.send("POST", "/api/v1/goals", "Create Goal", 201,
                         {"goal_type": self.goal_type, "initial_measurement_id": initial["id"], aim_field: aim},
                         check=lambda b: (field(b, "target_calories") or 0) > 0 and (field(b, "estimated_weeks_to_goal") or 0) > 0)
        if goal is None:
            return
        self.goal_id = goal["id"]
        self.think("goal")

        self.check_in(think=True)
        self.think("progress")
        self.get_training_plan()
        self.think("training_plan")
        self.get_diet_plan()
        self.think("diet_plan")

    def check_in(self, think=False):
        later = self.send("POST", "/api/v1/measurements", "Create Progress Measurement", 201,
                          {**self.measurement(change=True), "measured_at": iso_utc(self.next_check_in_time())},
                          check=lambda b: isinstance(field(b, "id"), str))
        if later is None:
            return
        if think:
            self.think("progress_measurement")
        # Each check-in is dated a week ahead, so a user's next one falls on the day of the previous:
        # replace it (the service refuses a second check-in on one day otherwise, check_in_same_day).
        self.send("POST", f"/api/v1/goals/{self.goal_id}/progress", "Log Progress", 201,
                  {"measurement_id": later["id"], "replace": True},
                  check=lambda b: isinstance(field(b, "week_number"), int) and b["week_number"] >= 0)

    # --- steady-state tasks -------------------------------------------------------------------

    @task(3)
    def log_progress(self):
        if self.goal_id:
            self.check_in()

    @task(2)
    def view_progress_history(self):
        if self.goal_id:
            self.send("GET", f"/api/v1/goals/{self.goal_id}/progress", "View Progress History", 200, check=lambda b: isinstance(b, list))

    @task(1)
    def view_trends(self):
        if self.goal_id:
            self.send("GET", f"/api/v1/goals/{self.goal_id}/trends", "View Trends", 200, check=lambda b: field(b, "goal_id") == self.goal_id)

    @task(2)
    def get_training_plan(self):
        if self.goal_id:
            self.send("GET", f"/api/v1/goals/{self.goal_id}/training-plan", "Get Training Plan", 200, check=lambda b: isinstance(field(b, "id"), str))

    @task(2)
    def get_diet_plan(self):
        if self.goal_id:
            self.send("GET", f"/api/v1/goals/{self.goal_id}/diet-plan", "Get Diet Plan", 200,
                      check=lambda b: (field(b, "daily_calorie_target") or 0) > 0)

    @task(1)
    def list_goals(self):
        self.send("GET", "/api/v1/goals", "List Goals", 200, check=lambda b: isinstance(field(b, "goals"), list))

    @task(1)
    def list_measurements(self):
        self.send("GET", "/api/v1/measurements?limit=10", "List Measurements", 200, check=lambda b: isinstance(field(b, "measurements"), list))

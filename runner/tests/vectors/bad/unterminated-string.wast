(vector "oops
